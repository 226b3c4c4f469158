"""The safeguards engine: the resolution's duties as deadlines (issue 4).

A pure core: nothing here imports Django. Given a case's facts, a jurisdiction profile
and a time, `engine.evaluate` returns the obligations; the rules of each domain
(`amparo.detention.rules`, ...) register with the engine. See docs/safeguards.md.
"""
