import { IsInt, IsOptional, IsString, MinLength, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import {
  ValidatorConstraint,
  Validate as ValidateWith,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { compileDto, isDtoClass, validate } from '../../src/validation/dto';

class Tag {
  @IsString() @MinLength(2) label!: string;
}

class PostDto {
  @IsString() title!: string;
  @IsInt() @IsOptional() views?: number;
  @ValidateNested({ each: true }) @Type(() => Tag) @IsOptional() tags?: Tag[];
}

@ValidatorConstraint({ name: 'slowUnique', async: true })
class SlowUnique implements ValidatorConstraintInterface {
  async validate(value: unknown): Promise<boolean> {
    await Promise.resolve();
    return value !== 'taken';
  }
  defaultMessage(): string {
    return '$property is taken';
  }
}

class SignupDto {
  @IsString() @ValidateWith(SlowUnique) username!: string;
}

class Bare {
  name = '';
}

describe('validate', () => {
  it('returns the instance when valid', async () => {
    const result = await validate(PostDto, { title: 'a', tags: [{ label: 'ts' }] });
    expect(result.ok).toBe(true);
    expect(result.ok && result.value).toBeInstanceOf(PostDto);
    expect(result.ok && result.value.tags?.[0]).toBeInstanceOf(Tag);
  });

  it('returns field errors with indexed paths for nested arrays', async () => {
    const result = await validate(PostDto, { title: 1, tags: [{ label: 'ok' }, { label: 'x' }] });
    expect(result).toEqual({
      ok: false,
      errors: {
        title: ['title must be a string'],
        'tags.1.label': ['label must be longer than or equal to 2 characters'],
      },
    });
  });

  it('runs async custom validators', async () => {
    expect(await validate(SignupDto, { username: 'taken' })).toEqual({
      ok: false,
      errors: { username: ['username is taken'] },
    });
    expect((await validate(SignupDto, { username: 'free' })).ok).toBe(true);
  });

  it('converts strings only when asked to', async () => {
    expect((await validate(PostDto, { title: 't', views: '3' })).ok).toBe(false);
    expect(
      await validate(PostDto, { title: 't', views: '3' }, { fromStrings: true }),
    ).toMatchObject({ ok: true, value: { views: 3 } });
  });

  it('throws FLAGON_BODY_FORBIDDEN_KEY for pollution keys at any depth', async () => {
    const nested = JSON.parse(
      '{"title":"t","tags":[{"label":"ab","__proto__":{"x":1}}]}',
    ) as unknown;
    await expect(validate(PostDto, nested)).rejects.toMatchObject({
      code: 'FLAGON_BODY_FORBIDDEN_KEY',
      status: 400,
    });
  });
});

describe('compileDto', () => {
  it('fails at startup for a class without validation rules', () => {
    expect(() => compileDto(Bare)).toThrow(
      expect.objectContaining({ code: 'FLAGON_VALIDATION_NOT_A_DTO' }) as Error,
    );
  });
});

describe('isDtoClass', () => {
  it('treats primitives, Object and built-ins as raw values', () => {
    expect([String, Number, Boolean, Object, Array, Date, undefined].map(isDtoClass)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(isDtoClass(PostDto)).toBe(true);
  });
});

// A nested object class-validator has no class for (no @Type): with forbidUnknownValues, the
// default, it is an error rather than an object that slips through unvalidated.
class LooseParent {
  @IsString() name!: string;
  @ValidateNested() child!: object;
}

describe('forbidUnknownValues', () => {
  it('rejects a nested value of no known class by default, naming the field', async () => {
    const result = await validate(LooseParent, { name: 'p', child: { anything: true } });
    expect(result.ok).toBe(false);
    expect(result.ok ? {} : result.errors).toEqual({
      child: [expect.stringContaining('unknown value')],
    });
  });

  it('lets it through when turned off', async () => {
    const result = await validate(
      LooseParent,
      { name: 'p', child: { anything: true } },
      { forbidUnknownValues: false },
    );
    expect(result.ok).toBe(true);
  });
});
