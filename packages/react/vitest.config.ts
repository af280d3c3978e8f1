import { defineTestConfig } from '@resock/vitest-config';

export default defineTestConfig();
