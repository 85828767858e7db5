#!/usr/bin/env bash
# Example Kafka ACLs: each service authenticates as its own principal (KAFKA_SASL_USERNAME, over
# KAFKA_SSL) and may touch only its topics and consumer group. With them, a leaked gateway credential
# reads lifecycle.v1 and nothing else: not the email requests, whose links carry tokens.
#
#   BOOTSTRAP=kafka:9093 ADMIN_CONFIG=admin.properties PREFIX= bash deploy/kafka/acls.sh
#
# PREFIX is the services' KAFKA_TOPIC_PREFIX (empty in production). Topics are created by the services
# at start (Create below); pre-create them and drop Create if your cluster policy wants that. The
# brokers need an authorizer and `allow.everyone.if.no.acl.found=false` for these to mean anything.
# Not run by any test or deployment: adapt the principals to your SASL user names.
set -euo pipefail
: "${BOOTSTRAP:?set BOOTSTRAP (host:port of a SASL_SSL listener)}"
: "${ADMIN_CONFIG:?set ADMIN_CONFIG (client properties of an admin principal)}"
PREFIX=${PREFIX:-}

acl() { kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" --add "$@"; }
# produce PRINCIPAL TOPIC... : write (and create, describe) these topics
produce() {
  local who=$1
  shift
  for topic in "$@"; do acl --allow-principal "User:$who" --operation Write --operation Describe --operation Create --topic "$PREFIX$topic"; done
}
# consume PRINCIPAL GROUP TOPIC... : read these topics in this group; dead letters go to <group>.dlq
consume() {
  local who=$1 group=$2
  shift 2
  for topic in "$@"; do acl --allow-principal "User:$who" --operation Read --operation Describe --topic "$PREFIX$topic"; done
  acl --allow-principal "User:$who" --operation Read --group "$PREFIX$group"
  produce "$who" "$group.dlq"
}

produce identity identity.user.v1 identity.security.v1 identity.waitlist.v1 notification.email-requests.v1
consume identity identity lifecycle.v1

# The only reader of notification.email-requests.v1 (links with tokens).
produce notification notification.deliveries.v1
consume notification notification notification.email-requests.v1 identity.user.v1

produce lifecycle lifecycle.v1
consume lifecycle lifecycle identity.user.v1 notification.deliveries.v1

# The gateway reads lifecycle.v1 only (quota resets), and publishes nothing but its dead letters.
consume gateway gateway lifecycle.v1
