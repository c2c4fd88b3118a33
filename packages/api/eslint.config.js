import { createConfig } from '@opspilot/eslint-config';

export default createConfig({ layer: 'api', tsconfigRootDir: import.meta.dirname });
