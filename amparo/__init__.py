"""Amparo: a migrant-protection information system (UN General Assembly resolution 68/179)."""
