"""Importers: each document format becomes a list of AppendixRow records."""
