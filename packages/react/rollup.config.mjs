import { defineRollupConfig } from '@resock/rollup-config';

export default defineRollupConfig({ input: { index: 'src/index.ts' } });
