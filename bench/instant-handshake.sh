#!/bin/sh
# A stand-in plugin for bench/plugin-host.mjs: writes a valid handshake line
# to fd 3 at once and idles, so that timing it measures the core's own work
# around a plugin start (socket, grpc-js connect, spawn, reading fd 3).
echo "1|1|stdio|fd:0|grpc" >&3
exec sleep 30
