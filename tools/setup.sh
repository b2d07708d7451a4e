#!/usr/bin/env bash
# Installs the Debian 12 packages voxperf builds, tests and runs with. Idempotent: installs only what is
# missing, and does nothing (no network) when everything is there.
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ pkg-config
  # gRPC and protobuf: wire-compatible clients, servers and gMock stubs
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  # benchmark cases, tests, fakes
  libbenchmark-dev libgtest-dev libgmock-dev
  # data sets, reports, command lines, HTTP targets
  nlohmann-json3-dev libsndfile1-dev libcli11-dev libcurl4-openssl-dev libssl-dev
  # reference server engines and the LibriVox test set
  libpocketsphinx-dev libsphinxbase-dev pocketsphinx-en-us pocketsphinx-testdata
  libespeak-ng-dev espeak-ng-data libsoxr-dev
  # the reference server's OpenAI HTTP API; an HTTP/2 server (nghttpd) for the transport's tests, h2load;
  # nghttp2 itself for the null server's lean gRPC side
  libcpp-httplib-dev nghttp2-server nghttp2-client libnghttp2-dev
  # the gate's self-test scripts read results JSON
  jq
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "voxperf setup: all ${#packages[@]} Debian packages are installed."
  exit 0
fi

echo "voxperf setup: missing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo)
  else
    echo "voxperf setup: installing packages needs root. Run:  sudo $0" >&2
    echo "  (or as root:  apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
else
  SUDO=()
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "voxperf setup: installed ${#missing[@]} package(s)."
