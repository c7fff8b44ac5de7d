import type * as ClassTransformer from 'class-transformer';
import type { MetadataStorage as TransformerStorage } from 'class-transformer/types/MetadataStorage';
import type * as ClassValidator from 'class-validator';
import type { Constructor } from '../di/tokens';
import { lazyRequire } from '../util/lazy-require';

// class-validator and class-transformer (with validator.js and libphonenumber) are slow to load:
// the first DTO compiled loads them, apps that never validate do not.
export const classValidator = lazyRequire<typeof ClassValidator>(
  'class-validator',
  'DTO validation',
);
export const classTransformer = lazyRequire<typeof ClassTransformer>(
  'class-transformer',
  'DTO validation',
);

/** class-validator's registry of decorated properties. */
export const validatorStorage = (): ReturnType<typeof ClassValidator.getMetadataStorage> =>
  classValidator().getMetadataStorage();

/** The part of class-transformer's storage Flagon reads: findTypeMetadata is typed as always finding one, but a property without @Type has none. */
export interface TransformerRegistry {
  findTypeMetadata(
    target: Constructor,
    propertyName: string,
  ): ReturnType<TransformerStorage['findTypeMetadata']> | undefined;
  getExposedMetadatas: TransformerStorage['getExposedMetadatas'];
  getExcludedMetadatas: TransformerStorage['getExcludedMetadatas'];
  getStrategy: TransformerStorage['getStrategy'];
}

// class-transformer keeps its @Type/@Expose registry in a module it does not re-export from its index.
const loadTransformerStorage = lazyRequire<{ defaultMetadataStorage: TransformerRegistry }>(
  'class-transformer/cjs/storage',
  'DTO validation',
);

/** class-transformer's registry of @Type, @Expose and @Exclude. */
export const transformerStorage = (): TransformerRegistry =>
  loadTransformerStorage().defaultMetadataStorage;
