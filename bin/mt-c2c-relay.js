#!/usr/bin/env node
import '../dist/relay/node/cli.js';
