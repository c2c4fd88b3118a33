import { createConfig } from '@opspilot/eslint-config';

export default createConfig({ layer: 'web', tsconfigRootDir: import.meta.dirname });
