"""Readers for the formats records arrive in. Each returns records and problems, never raises."""
