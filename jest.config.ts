import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/sample-app'],
  testMatch: ['**/*.test.ts'],
  // ts-jest (not a bundler-style transform) so emitDecoratorMetadata reaches tsyringe and class-validator.
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: false }],
  },
  // Samples, fixtures and the sample app import the package by name, as users do.
  moduleNameMapper: {
    '^flagon$': '<rootDir>/src/index.ts',
    '^flagon/testing$': '<rootDir>/src/testing/index.ts',
  },
  setupFiles: ['reflect-metadata'],
  testTimeout: 20000,
};

export default config;
