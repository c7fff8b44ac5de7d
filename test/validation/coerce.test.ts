import { IsBoolean, IsDate, IsInt, IsOptional, IsString } from 'class-validator';
import { Type } from 'class-transformer';
import { buildCoercer } from '../../src/validation/coerce';
import type { FieldErrors } from '../../src/validation/validation-error';

class Filters {
  @IsInt() @IsOptional() page?: number;
  @IsInt() @Type(() => Number) @IsOptional() limit!: number | null;
  @IsBoolean() @IsOptional() draft?: boolean;
  @IsDate() @IsOptional() since?: Date;
  @IsString() @IsOptional() q?: string;
  @IsString({ each: true }) @IsOptional() tags?: string[];
}

function run(plain: Record<string, unknown>): {
  value: Record<string, unknown>;
  errors: FieldErrors;
} {
  const errors: FieldErrors = {};
  return { value: buildCoercer(Filters)(plain, errors), errors };
}

describe('buildCoercer', () => {
  it.each([
    ['42', 42],
    ['-7', -7],
    ['4.2', 4.2],
    [' 5 ', 5],
    ['1e3', 1000],
  ])('converts %p to %p for a number field', (text, expected) => {
    expect(run({ page: text })).toEqual({ value: { page: expected }, errors: {} });
  });

  it.each(['abc', 'NaN', 'Infinity', '0x10', '1,5', '--1'])(
    'reports %p for a number field instead of NaN',
    (text) => {
      expect(run({ page: text })).toEqual({
        value: { page: undefined },
        errors: { page: ['page must be a number'] },
      });
    },
  );

  it.each([
    ['true', true],
    ['FALSE', false],
    ['on', true],
    ['0', false],
  ])('converts %p to %p for a boolean field', (text, expected) => {
    expect(run({ draft: text }).value).toEqual({ draft: expected });
  });

  it('uses @Type when the declared type is a union', () => {
    expect(run({ limit: '10' }).value).toEqual({ limit: 10 });
  });

  it('converts dates and rejects unparseable ones', () => {
    expect(run({ since: '2024-01-02' }).value['since']).toEqual(new Date('2024-01-02'));
    expect(run({ since: 'yesterday' }).errors).toEqual({ since: ['since must be a date'] });
  });

  it('leaves strings alone, wraps a single value for an array field, and takes the first of repeated scalars', () => {
    expect(run({ q: '42', tags: 'a', page: ['1', '2'] }).value).toEqual({
      q: '42',
      tags: ['a'],
      page: 1,
    });
  });

  it('treats an empty string as absent', () => {
    expect(run({ page: '', draft: '' }).value).toEqual({ page: undefined, draft: undefined });
  });
});
