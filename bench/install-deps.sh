#!/bin/sh
# The Debian packages `pnpm bench` measures against: the OpenSSH client (the
# SSH peer), PostgreSQL (a throw-away cluster for the append benchmark) and
# pywinrm (the WinRM peer). Run as root on Debian or Ubuntu.
set -eu
apt-get update
apt-get install -y --no-install-recommends openssh-client postgresql python3-winrm
