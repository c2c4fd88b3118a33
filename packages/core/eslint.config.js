import { createConfig } from '@opspilot/eslint-config';

export default createConfig({ layer: 'core', tsconfigRootDir: import.meta.dirname });
