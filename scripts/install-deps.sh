#!/bin/sh
# Install what crtool needs to build and test on Debian 12 (as root).
set -e
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
	gcc clang libclang-rt-14-dev meson ninja-build pkg-config \
	libprotobuf-c-dev protobuf-c-compiler libnl-3-dev libnl-route-3-dev \
	libcap-dev libelf-dev libcmocka-dev \
	iproute2 iptables procps python3 >/dev/null
