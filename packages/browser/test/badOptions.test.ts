import * as entry from '@resock/browser';
import { defineEntryPointChecks } from '@resock/test-utils';

defineEntryPointChecks('@resock/browser', entry);
