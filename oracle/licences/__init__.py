"""Licences of submissions: the SPDX compatibility table, the spec's section, the fork rule."""
