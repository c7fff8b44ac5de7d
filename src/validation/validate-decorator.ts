import type { Constructor } from '../di/tokens';
import type { ValidationOptions } from './dto';

const VALIDATION_OPTIONS = Symbol('flagon:validation');

/**
 * Overrides the app's `VALIDATION` defaults for every DTO parameter of a handler, or of every
 * handler of a controller (the handler's options win).
 *
 * @example
 * @Post('/') @Validate({ forbidNonWhitelisted: true, groups: ['create'] })
 * create(@Body() post: PostDto) {}
 */
export function Validate(
  options: Omit<ValidationOptions, 'fromStrings'>,
): MethodDecorator & ClassDecorator {
  return (target: object, propertyKey?: string | symbol) => {
    if (propertyKey === undefined) Reflect.defineMetadata(VALIDATION_OPTIONS, options, target);
    else Reflect.defineMetadata(VALIDATION_OPTIONS, options, target, propertyKey);
  };
}

/** The controller's then the handler's `@Validate` options, merged (read at startup). */
export function getValidationOptions(
  controller: Constructor,
  methodName: string,
): ValidationOptions {
  const onClass = Reflect.getMetadata(VALIDATION_OPTIONS, controller) as
    ValidationOptions | undefined;
  const onMethod = Reflect.getMetadata(
    VALIDATION_OPTIONS,
    controller.prototype as object,
    methodName,
  ) as ValidationOptions | undefined;
  return { ...onClass, ...onMethod };
}
