#!/usr/bin/env node
import '../dist/relay/cli.js';
