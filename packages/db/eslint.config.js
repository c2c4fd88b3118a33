import { createConfig } from '@opspilot/eslint-config';

export default createConfig({ layer: 'db', tsconfigRootDir: import.meta.dirname, ignores: ['scripts/**'] });
