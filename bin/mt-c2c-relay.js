#!/usr/bin/env node
import '../dist/server/mt-c2c-relay.js';
