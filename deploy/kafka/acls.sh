#!/usr/bin/env bash
# Kafka ACLs for the four services: each authenticates as its own principal (KAFKA_SASL_USERNAME,
# over KAFKA_SSL) and may touch only its topics and consumer group. With them, a leaked gateway
# credential reads lifecycle.v1 and nothing else: not the email requests, whose links carry tokens.
#
#   BOOTSTRAP=kafka:9093 ADMIN_CONFIG=admin.properties PREFIX= bash deploy/kafka/acls.sh
#
# PREFIX is the services' KAFKA_TOPIC_PREFIX (empty in production). KAFKA_ACLS is the command that
# runs Kafka's ACL tool (default `kafka-acls.sh` on the PATH). The principals are the services'
# names (identity, notification, lifecycle, gateway); rename them here if your SASL users differ.
# Each service creates the topics it writes and reads at start, whichever starts first, hence Create
# on both; pre-create them and drop Create if your cluster policy wants that. The brokers need an
# authorizer and `allow.everyone.if.no.acl.found=false` for these to mean anything.
# e2e/test/security/kafka-acls.test.ts runs this script against a SASL broker with an authorizer and
# the services themselves.
set -euo pipefail
: "${BOOTSTRAP:?set BOOTSTRAP (host:port of a SASL listener)}"
: "${ADMIN_CONFIG:?set ADMIN_CONFIG (client properties of an admin principal)}"
PREFIX=${PREFIX:-}
read -r -a KAFKA_ACLS <<<"${KAFKA_ACLS:-kafka-acls.sh}"

acl() { "${KAFKA_ACLS[@]}" --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" --add --force "$@" >/dev/null; }
# topics_of TOPIC... : one --topic argument per topic, prefixed, a line each
topics_of() { for topic in "$@"; do printf -- '--topic\n%s\n' "$PREFIX$topic"; done; }
# produce PRINCIPAL TOPIC... : write (and create, describe) these topics
produce() {
  local who=$1
  shift
  mapfile -t topics < <(topics_of "$@")
  acl --allow-principal "User:$who" --operation Write --operation Describe --operation Create "${topics[@]}"
}
# consume PRINCIPAL GROUP TOPIC... : read (and create, describe) these topics in this group; dead
# letters go to <group>.dlq
consume() {
  local who=$1 group=$2
  shift 2
  mapfile -t topics < <(topics_of "$@")
  acl --allow-principal "User:$who" --operation Read --operation Describe --operation Create "${topics[@]}"
  acl --allow-principal "User:$who" --operation Read --group "$PREFIX$group"
  produce "$who" "$group.dlq"
}

produce identity identity.user.v1 identity.user-state.v1 identity.security.v1 identity.waitlist.v1 notification.email-requests.v1 \
  identity.data-export-parts.v1
# The only reader of identity.data-export-parts.v1 (each participant's data about one person).
consume identity identity lifecycle.v1 identity.user.v1 identity.data-export-parts.v1 notification.deliveries.v1

# The only reader of notification.email-requests.v1 (links with tokens). It reads every public topic
# too: integrators' webhooks may subscribe to any public event (a new public topic is added here).
produce notification notification.deliveries.v1 identity.data-export-parts.v1
consume notification notification notification.email-requests.v1 identity.user.v1 identity.security.v1 identity.waitlist.v1 \
  notification.deliveries.v1 lifecycle.v1

produce lifecycle lifecycle.v1 identity.data-export-parts.v1
consume lifecycle lifecycle identity.user.v1 notification.deliveries.v1

# The gateway reads lifecycle.v1 only (quota resets), and publishes nothing but its dead letters.
consume gateway gateway lifecycle.v1
