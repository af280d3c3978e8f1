import * as entry from '@resock/node';
import { defineEntryPointChecks } from '@resock/test-utils';

defineEntryPointChecks('@resock/node', entry);
