#!/usr/bin/env bash
# Restores the newest backup of each database in BACKUP_DATABASES into a scratch database
# (restore_check_<db>) on RESTORE_MONGO_URL, compares every collection's document count with the counts
# recorded when the backup was taken, and drops the scratch database again. Exits non-zero, so the Job
# fails and alerts, when a backup is missing, older than BACKUP_MAX_AGE_HOURS, fails to restore, or
# restores a count outside the recorded range (widened by BACKUP_COUNT_SLACK documents).
set -uo pipefail

max_age_minutes=$(( ${BACKUP_MAX_AGE_HOURS:-26} * 60 ))
slack="${BACKUP_COUNT_SLACK:-0}"
failures=0

fail() {
  echo "FAIL $1"
  failures=$((failures + 1))
}

for db in ${BACKUP_DATABASES:?}; do
  latest="$(find "/backups/$db" -name '*.archive.gz' 2>/dev/null | sort | tail -n 1)"
  if [ -z "$latest" ]; then
    fail "$db: no backup in /backups/$db"
    continue
  fi
  if [ -n "$(find "$latest" -mmin "+$max_age_minutes")" ]; then
    fail "$db: newest backup $latest is older than ${BACKUP_MAX_AGE_HOURS:-26}h"
  fi
  counts="${latest%.archive.gz}.counts"
  if [ ! -s "$counts" ]; then
    fail "$db: $counts is missing or empty"
    continue
  fi

  scratch="restore_check_$db"
  if ! mongorestore --uri="$RESTORE_MONGO_URL" --gzip --archive="$latest" \
    --nsFrom="$db.*" --nsTo="$scratch.*" --drop --quiet; then
    fail "$db: mongorestore of $latest failed"
    continue
  fi

  restored="$(mongosh "$RESTORE_MONGO_URL" --quiet --eval "
    const target = db.getSiblingDB('$scratch');
    target.getCollectionNames().forEach((name) => print(name + ' ' + target.getCollection(name).countDocuments({})));
  ")"
  while read -r collection before after; do
    got="$(printf '%s\n' "$restored" | awk -v name="$collection" '$1 == name { print $2 }')"
    low=$(( (before < after ? before : after) - slack ))
    high=$(( (before > after ? before : after) + slack ))
    if [ -z "$got" ]; then
      [ "$high" -gt 0 ] && fail "$db.$collection: missing from the restore (expected $before..$after documents)"
    elif [ "$got" -lt "$low" ] || [ "$got" -gt "$high" ]; then
      fail "$db.$collection: restored $got documents, expected $before..$after"
    else
      echo "ok $db.$collection: $got documents"
    fi
  done < "$counts"

  mongosh "$RESTORE_MONGO_URL" --quiet --eval "db.getSiblingDB('$scratch').dropDatabase()" > /dev/null
done

if [ "$failures" -gt 0 ]; then
  echo "restore check: $failures problem(s)"
  exit 1
fi
echo "restore check: every backup restored with the recorded document counts"
