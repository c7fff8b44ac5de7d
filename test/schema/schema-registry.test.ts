import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { Exclude, Expose, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsDateString,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { dtoJsonSchema, SchemaRegistry } from '../../src/schema/schema-registry';
import type { JsonSchema } from '../../src/schema/json-schema';

enum Color {
  Red = 'red',
  Blue = 'blue',
}
enum Level {
  Low,
  High,
}

class Tag {
  @IsString() @Length(1, 20) name!: string;
}

class Everything {
  @IsString() @Length(1, 50) title!: string;
  @MinLength(2) @MaxLength(5) @IsString() code!: string;
  @IsInt() @Min(0) @Max(150) age!: number;
  @IsNumber() price!: number;
  @IsBoolean() isDraft!: boolean;
  @IsEmail() email!: string;
  @IsUrl() homepage!: string;
  @IsUUID('4') id!: string;
  @IsDateString() publishedAt!: string;
  @Matches(/^[a-z-]+$/) slug!: string;
  @Matches(/^[a-z]+$/i) caseless!: string;
  @IsEnum(Color) color!: Color;
  @IsEnum(Level) level!: Level;
  @IsIn(['asc', 'desc']) order!: string;
  @IsOptional() @IsString() note?: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(3) @IsString({ each: true }) labels!: string[];
  @IsInt({ each: true }) @Min(1, { each: true }) scores!: number[];
  @ValidateNested({ each: true }) @Type(() => Tag) tags!: Tag[];
  @ValidateNested() @Type(() => Tag) mainTag!: Tag;
  @IsOptional() @ValidateNested() @Type(() => Tag) extraTag?: Tag;
  @IsDate() @Type(() => Date) since!: Date;
}

function validator(schema: JsonSchema): (value: unknown) => boolean {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  const check = ajv.compile(schema);
  return (value) => check(value);
}

const VALID = {
  title: 'Hello',
  code: 'ab',
  age: 30,
  price: 9.5,
  isDraft: false,
  email: 'a@example.com',
  homepage: 'https://example.com',
  id: '3b241101-e2bb-4255-8caf-4136c566a962',
  publishedAt: '2026-01-02T03:04:05Z',
  slug: 'a-b',
  caseless: 'ABC',
  color: 'red',
  level: 1,
  order: 'asc',
  labels: ['x'],
  scores: [1, 2],
  tags: [{ name: 't' }],
  mainTag: { name: 'm' },
  since: '2026-01-02T03:04:05Z',
};

describe('SchemaRegistry', () => {
  const registry = new SchemaRegistry();
  const schema = registry.schemaOf(Everything);
  const properties = schema.properties ?? {};

  it('maps type checks and design types to JSON types', () => {
    expect(properties['title']).toEqual({ type: 'string', minLength: 1, maxLength: 50 });
    expect(properties['code']).toEqual({ type: 'string', minLength: 2, maxLength: 5 });
    expect(properties['age']).toEqual({ type: 'integer', minimum: 0, maximum: 150 });
    expect(properties['price']).toEqual({ type: 'number' });
    expect(properties['isDraft']).toEqual({ type: 'boolean' });
  });

  it('maps string checks to formats and patterns', () => {
    expect(properties['email']).toEqual({ type: 'string', format: 'email' });
    expect(properties['homepage']).toEqual({ type: 'string', format: 'uri' });
    expect(properties['id']).toEqual({ type: 'string', format: 'uuid' });
    expect(properties['publishedAt']).toEqual({ type: 'string', format: 'date-time' });
    expect(properties['slug']).toEqual({ type: 'string', pattern: '^[a-z-]+$' });
    expect(properties['since']).toEqual({ type: 'string', format: 'date-time' });
  });

  it('leaves out a pattern whose flags JSON Schema cannot say, rather than a stricter one', () => {
    expect(properties['caseless']).toEqual({ type: 'string' });
  });

  it('lists @IsEnum and @IsIn values, without a numeric enum’s reverse keys', () => {
    expect(properties['color']).toEqual({ type: 'string', enum: ['red', 'blue'] });
    expect(properties['level']).toEqual({ type: 'integer', enum: [0, 1] });
    expect(properties['order']).toEqual({ type: 'string', enum: ['asc', 'desc'] });
  });

  it('types arrays and their items, sizes included', () => {
    expect(properties['labels']).toEqual({
      type: 'array',
      minItems: 1,
      maxItems: 3,
      items: { type: 'string' },
    });
    expect(properties['scores']).toEqual({
      type: 'array',
      items: { type: 'integer', minimum: 1 },
    });
  });

  it('refers to nested DTOs, each class once', () => {
    expect(properties['tags']).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/Tag' },
    });
    expect(properties['mainTag']).toEqual({ $ref: '#/components/schemas/Tag' });
    expect(Object.keys(registry.schemas).sort()).toEqual(['Everything', 'Tag']);
    expect(registry.schemas['Tag']).toEqual({
      type: 'object',
      properties: { name: { type: 'string', minLength: 1, maxLength: 20 } },
      required: ['name'],
    });
  });

  it('makes @IsOptional properties optional and nullable', () => {
    expect(properties['note']).toEqual({ type: ['string', 'null'] });
    expect(properties['extraTag']).toEqual({
      anyOf: [{ $ref: '#/components/schemas/Tag' }, { type: 'null' }],
    });
    expect(schema.required).not.toContain('note');
    expect(schema.required).not.toContain('extraTag');
    expect(schema.required).toContain('title');
  });

  it('accepts what the DTO accepts and refuses what it refuses (checked by Ajv, draft 2020-12)', () => {
    const check = validator(dtoJsonSchema(Everything));
    expect(check(VALID)).toBe(true);
    expect(check({ ...VALID, note: null, extraTag: { name: 'e' } })).toBe(true);
    expect(check({ ...VALID, age: 1.5 })).toBe(false);
    expect(check({ ...VALID, email: 'nope' })).toBe(false);
    expect(check({ ...VALID, color: 'green' })).toBe(false);
    expect(check({ ...VALID, labels: [] })).toBe(false);
    expect(check({ ...VALID, tags: [{ name: '' }] })).toBe(false);
    const { title: _title, ...missingTitle } = VALID;
    expect(check(missingTitle)).toBe(false);
  });

  it('adds additionalProperties: false to input schemas when unknown keys are refused', () => {
    const strict = new SchemaRegistry({ forbidUnknown: true });
    expect(strict.schemaOf(Tag).additionalProperties).toBe(false);
    expect(strict.schemaOf(Tag, 'output').additionalProperties).toBeUndefined();
  });
});

class Node {
  @IsString() label!: string;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => Node) children?: Node[];
}

describe('cyclic DTOs', () => {
  it('refer to themselves', () => {
    const schema = dtoJsonSchema(Node);
    expect(schema.$defs?.['Node']?.properties?.['children']).toEqual({
      type: ['array', 'null'],
      items: { $ref: '#/$defs/Node' },
    });
    const check = validator(schema);
    expect(check({ label: 'a', children: [{ label: 'b', children: [{ label: 'c' }] }] })).toBe(
      true,
    );
    expect(check({ label: 'a', children: [{ children: [] }] })).toBe(false);
  });
});

class Account {
  @Expose() @IsInt() id!: number;
  @IsEmail() email!: string;
  @Exclude({ toPlainOnly: true }) @IsString() password!: string;
  @Expose({ name: 'display_name' }) @IsString() displayName!: string;
}

@Exclude()
class PublicProfile {
  @Expose() id!: number;
  @Expose() name!: string;
  passwordHash!: string;
}

describe('class-transformer’s @Expose and @Exclude', () => {
  it('drop a property for the direction it is excluded from, and name the other schema apart', () => {
    const registry = new SchemaRegistry();
    expect(Object.keys(registry.schemaOf(Account, 'input').properties ?? {})).toEqual([
      'id',
      'email',
      'password',
      'display_name',
    ]);
    expect(Object.keys(registry.schemaOf(Account, 'output').properties ?? {})).toEqual([
      'id',
      'email',
      'display_name',
    ]);
    expect(registry.ref(Account, 'output')).toEqual({
      $ref: '#/components/schemas/AccountOutput',
    });
  });

  it('use one name when both directions give the same schema', () => {
    const registry = new SchemaRegistry();
    registry.ref(Tag, 'input');
    expect(registry.ref(Tag, 'output')).toEqual({ $ref: '#/components/schemas/Tag' });
    expect(Object.keys(registry.schemas)).toEqual(['Tag']);
  });

  it('keep only the exposed properties of a class-level @Exclude()', () => {
    const registry = new SchemaRegistry();
    expect(registry.schemaOf(PublicProfile, 'output')).toEqual({
      type: 'object',
      properties: { id: { type: 'number' }, name: { type: 'string' } },
      required: ['id', 'name'],
    });
  });
});

function itemClass(): new () => object {
  class Item {
    @IsString() a!: string;
  }
  return Item;
}

function itemClassAgain(): new () => object {
  class Item {
    @IsInt() b!: number;
  }
  return Item;
}

describe('name clashes', () => {
  it('give two classes of one name distinct schema names', () => {
    const first = itemClass();
    const second = itemClassAgain();
    const registry = new SchemaRegistry();
    expect(registry.ref(first)).toEqual({ $ref: '#/components/schemas/Item' });
    expect(registry.ref(second)).toEqual({ $ref: '#/components/schemas/Item2' });
  });
});
