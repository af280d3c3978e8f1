#!/usr/bin/env node
// The `resock` command; the code is built into dist/cli.js. This launcher exists before any
// build, so installing the workspace can link the command.
import '../dist/cli.js';
