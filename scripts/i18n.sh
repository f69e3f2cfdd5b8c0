#!/usr/bin/env bash
# The catalogs' workflow: extract the message ids from the code, update the three
# catalogs, then (optionally) compile .mo files. Run from the repository root.
set -euo pipefail
pybabel extract -F i18n/babel.cfg -k T -k title -k note -k gettext:2 \
  --no-location --sort-output --omit-header -o i18n/messages.pot bot
for locale in en zh_Hant_HK zh_Hans_CN; do
  po="i18n/$locale/LC_MESSAGES/messages.po"
  if [ -f "$po" ]; then
    pybabel update -i i18n/messages.pot -d i18n -l "$locale" --no-fuzzy-matching --ignore-obsolete
  else
    pybabel init -i i18n/messages.pot -d i18n -l "$locale"
  fi
done
if [ "${1:-}" = "--compile" ]; then pybabel compile -d i18n; fi
