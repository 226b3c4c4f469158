"""Migrant children: who is a child, and (to come) status, guardians, age assessment and best interests."""
