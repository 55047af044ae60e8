"""Arithmetic: sums, products, powers, roots and percentages, evaluated safely."""
