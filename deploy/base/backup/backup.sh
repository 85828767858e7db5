#!/usr/bin/env bash
# Dumps one database (BACKUP_DATABASE, reached through MONGO_URL) to /backups/<db>/<UTC time>.archive.gz
# and writes beside it the document count of every collection, taken just before and just after the
# dump: mongodump without an oplog is no snapshot, so the restore check accepts any count between the two.
# Keeps the newest BACKUP_KEEP archives. Runs in the mongo:7 image (mongodump, mongosh).
set -euo pipefail

db="${BACKUP_DATABASE:?}"
keep="${BACKUP_KEEP:-7}"
dir="/backups/$db"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$dir"

count_documents() {
  mongosh "$MONGO_URL" --quiet --eval "
    const target = db.getSiblingDB('$db');
    target.getCollectionNames().forEach((name) => print(name + ' ' + target.getCollection(name).countDocuments({})));
  "
}

count_documents > "$dir/$stamp.before"
mongodump --uri="$MONGO_URL" --db="$db" --gzip --archive="$dir/$stamp.archive.gz.partial" --quiet
count_documents > "$dir/$stamp.after"

# "<collection> <count before> <count after>"; a collection created during the dump counts 0 before.
awk 'NR == FNR { before[$1] = $2; next } { print $1, ($1 in before ? before[$1] : 0), $2 }' \
  "$dir/$stamp.before" "$dir/$stamp.after" > "$dir/$stamp.counts"
rm -f "$dir/$stamp.before" "$dir/$stamp.after"
# Renamed last: the restore check only ever sees complete archives.
mv "$dir/$stamp.archive.gz.partial" "$dir/$stamp.archive.gz"
echo "backup $db: $dir/$stamp.archive.gz ($(wc -l < "$dir/$stamp.counts") collections)"

find "$dir" -name '*.archive.gz' | sort -r | tail -n "+$((keep + 1))" | while read -r old; do
  rm -f "$old" "${old%.archive.gz}.counts"
  echo "removed $old"
done
