import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { Type } from 'class-transformer';
import fc from 'fast-check';
import type { Constructor } from '../../src/di/tokens';
import { compileValidator } from '../../src/validation/compiled-validator';
import { toFieldErrors, type FieldErrors } from '../../src/validation/validation-error';

class CreateUser {
  @IsString()
  @Length(1, 50)
  name!: string;

  @IsEmail()
  email!: string;

  @IsInt()
  @Min(0)
  @Max(150)
  age!: number;
}

enum Role {
  Admin = 'admin',
  Member = 'member',
}

class Profile {
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(10)
  nickname?: string;

  @IsBoolean()
  active!: boolean;

  @IsNumber()
  @Min(-1.5)
  score!: number;

  @IsEnum(Role)
  role!: Role;

  @IsIn(['red', 'green', 3])
  color!: string | number;

  @IsDefined()
  @IsNotEmpty()
  token!: unknown;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  tags?: unknown[];
}

class Address {
  @IsString()
  city!: string;
}

class WithNested {
  @ValidateNested()
  @Type(() => Address)
  address!: Address;
}

type Options = { whitelist: boolean; forbidNonWhitelisted: boolean };

/** What compileDto's class-validator path reports: pass/fail and messages per field, in order. */
function reference(
  dto: Constructor,
  input: Record<string, unknown>,
  options: Options,
): { errors: FieldErrors | undefined; instance: object } {
  const instance = plainToInstance(dto, input) as object;
  const errors = validateSync(instance, {
    ...options,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  return { instance, errors: errors.length === 0 ? undefined : toFieldErrors(errors) };
}

function asPlain(errors: FieldErrors | undefined): Record<string, string[]> | undefined {
  return errors === undefined ? undefined : { ...errors };
}

// Values of every JSON scalar kind, plus the edges of the rules above.
const scalar = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constantFrom(
    '',
    'a',
    'x'.repeat(50),
    'x'.repeat(51),
    'ada@example.com',
    'not-an-email',
    'admin',
    'member',
    'red',
    'green',
    '😀😀',
    '\uFE0F',
  ),
  fc.integer({ min: -10, max: 200 }),
  fc.double({ noNaN: false }),
  fc.constantFrom(0, -0, 150, 151, -1.5, -1.6, 3, Infinity, -Infinity, Number.NaN, 0.5),
  fc.boolean(),
  fc.constant(null),
);

const OPTIONS: Options[] = [
  { whitelist: true, forbidNonWhitelisted: false },
  { whitelist: true, forbidNonWhitelisted: true },
  { whitelist: false, forbidNonWhitelisted: false },
];

function agree(
  dto: Constructor,
  keys: readonly string[],
  valid: fc.Arbitrary<Record<string, unknown>>,
): void {
  const compiledBy = OPTIONS.map((options) => ({
    options,
    compiled: compileValidator(dto, options),
  }));
  const anyInput = fc.dictionary(fc.constantFrom(...keys, 'extra', 'other'), scalar, {
    maxKeys: keys.length + 2,
  });
  fc.assert(
    fc.property(
      fc.oneof(valid, anyInput),
      fc.constantFrom(...compiledBy),
      (input, { options, compiled }) => {
        const expected = reference(dto, input, options);
        const actual = compiled?.(input);
        expect(actual).toBeDefined();
        // Same verdict, same fields in the same order, same messages.
        expect(asPlain(actual?.errors)).toEqual(asPlain(expected.errors));
        expect(Object.keys(actual?.errors ?? {})).toEqual(Object.keys(expected.errors ?? {}));
        // The same instance class-transformer builds (whitelisting applied).
        expect(actual?.instance).toEqual(expected.instance);
        expect(actual?.instance).toBeInstanceOf(dto);
      },
    ),
    { numRuns: 400 },
  );
}

describe('compileValidator agrees with class-transformer + class-validator', () => {
  it('on the benchmark DTO (string length, email, int range)', () => {
    const valid = fc.record({
      name: fc.string({ minLength: 1, maxLength: 50 }),
      email: fc.constantFrom('ada@example.com', 'x.y@test.org'),
      age: fc.integer({ min: 0, max: 150 }),
    });
    agree(CreateUser, ['name', 'email', 'age'], valid);
  });

  it('on optional, boolean, number, enum, in, defined, not-empty and array-size rules', () => {
    const valid = fc.record(
      {
        nickname: fc.string({ minLength: 2, maxLength: 10 }),
        active: fc.boolean(),
        score: fc.double({ min: -1.5, max: 1e6, noNaN: true }),
        role: fc.constantFrom(Role.Admin, Role.Member),
        color: fc.constantFrom('red', 'green', 3),
        token: fc.string({ minLength: 1 }),
      },
      { requiredKeys: ['active', 'score', 'role', 'color', 'token'] },
    );
    agree(Profile, ['nickname', 'active', 'score', 'role', 'color', 'token', 'tags'], valid);
  });

  it('leaves input with nested values to class-transformer (undefined), so the caller falls back', () => {
    const compiled = compileValidator(Profile, OPTIONS[0] as Options);
    expect(compiled?.({ tags: ['a'], active: true })).toBeUndefined();
  });

  it('does not compile nested DTOs or class-transformer decorators', () => {
    expect(compileValidator(WithNested, OPTIONS[0] as Options)).toBeUndefined();
  });
});
