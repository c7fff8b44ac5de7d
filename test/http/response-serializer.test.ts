import { Exclude, Expose, Type } from 'class-transformer';
import {
  IsEmail,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { compileResponseSerializer } from '../../src/http/response-serializer';
import { getDeclaredReturns, Returns } from '../../src/http/response-decorators';

class UserView {
  @IsInt() id!: number;
  @IsString() @Length(1, 50) name!: string;
  @IsEmail() email!: string;
  @IsOptional() @IsString() bio?: string | null;
}

class Author {
  @Expose() id!: number;
  @Expose() username!: string;
}

class PostView {
  @Expose() id!: number;
  @Expose() title!: string;
  @ValidateNested() @Type(() => Author) author!: Author;
  @ValidateNested({ each: true }) @Type(() => Author) likedBy!: Author[];
  @Expose() @Type(() => Date) created!: Date;
}

@Exclude()
class Profile {
  @Expose() id!: number;
  @Expose({ name: 'display_name' }) displayName!: string;
  secret!: string;
}

class Account {
  @Expose() id!: number;
  @Exclude() @IsString() password!: string;
  @Exclude({ toClassOnly: true }) @Expose() role!: string;
}

class Tree {
  @IsString() label!: string;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => Tree) children?: Tree[];
}

const ROW = {
  id: 1,
  name: 'Ada',
  email: 'ada@example.com',
  bio: null,
  password_hash: '$scrypt$secret',
  is_admin: true,
};

describe('compileResponseSerializer', () => {
  it('writes only the declared properties of a row', () => {
    const write = compileResponseSerializer(UserView);
    expect(JSON.parse(write(ROW))).toEqual({
      id: 1,
      name: 'Ada',
      email: 'ada@example.com',
      bio: null,
    });
    expect(write(ROW)).not.toContain('password_hash');
  });

  it('writes arrays of DTOs for [Dto]', () => {
    const write = compileResponseSerializer([UserView]);
    expect(JSON.parse(write([ROW, { ...ROW, id: 2 }]))).toEqual([
      { id: 1, name: 'Ada', email: 'ada@example.com', bio: null },
      { id: 2, name: 'Ada', email: 'ada@example.com', bio: null },
    ]);
  });

  it('keeps null as null and a missing property missing, as JSON.stringify would', () => {
    const write = compileResponseSerializer(UserView);
    expect(JSON.parse(write({ id: 1, name: null }))).toEqual({ id: 1, name: null });
    expect(write(null)).toBe('null');
  });

  it('shapes nested @Type DTOs and arrays of them, and writes dates as ISO strings', () => {
    const write = compileResponseSerializer(PostView);
    const value = {
      id: 7,
      title: 'Hi',
      body: 'not declared',
      author: { id: 1, username: 'ada', password_hash: 'x' },
      likedBy: [{ id: 2, username: 'bob', token: 'x' }],
      created: new Date('2026-01-02T03:04:05Z'),
    };
    expect(JSON.parse(write(value))).toEqual({
      id: 7,
      title: 'Hi',
      author: { id: 1, username: 'ada' },
      likedBy: [{ id: 2, username: 'bob' }],
      created: '2026-01-02T03:04:05.000Z',
    });
  });

  it('respects a class-level @Exclude() with @Expose()d properties, renames included', () => {
    const write = compileResponseSerializer(Profile);
    expect(JSON.parse(write({ id: 1, displayName: 'Ada', secret: 's' }))).toEqual({
      id: 1,
      display_name: 'Ada',
    });
  });

  it('leaves out @Exclude()d properties, unless excluded from input only', () => {
    const write = compileResponseSerializer(Account);
    expect(JSON.parse(write({ id: 1, password: 'p', role: 'admin' }))).toEqual({
      id: 1,
      role: 'admin',
    });
  });

  it('writes cyclic DTOs', () => {
    const write = compileResponseSerializer(Tree);
    const tree = {
      label: 'a',
      extra: 1,
      children: [{ label: 'b', children: [{ label: 'c', x: 1 }] }],
    };
    expect(JSON.parse(write(tree))).toEqual({
      label: 'a',
      children: [{ label: 'b', children: [{ label: 'c' }] }],
    });
  });

  it('writes the same JSON as JSON.stringify for a value that has only declared properties', () => {
    class CreateUserDto {
      @IsString() @Length(1, 50) name!: string;
      @IsEmail() email!: string;
      @IsInt() @Min(0) @Max(150) age!: number;
    }
    const value = { name: 'Ada "the first" \u2028', email: 'ada@example.com', age: 36 };
    expect(compileResponseSerializer(CreateUserDto)(value)).toBe(JSON.stringify(value));
  });
});

describe('a response DTO without declared properties', () => {
  it('fails at startup instead of answering {}', () => {
    class Plain {
      id!: number;
    }
    expect(() => compileResponseSerializer(Plain)).toThrow(
      expect.objectContaining({ code: 'FLAGON_RESPONSE_EMPTY_DTO' }) as Error,
    );
  });
});

describe('@Returns', () => {
  it('records each declared body in the order written', () => {
    class Controller {
      @Returns(UserView, { description: 'The user' })
      @Returns(Author, { status: 404 })
      show(): void {}

      @Returns([UserView])
      list(): void {}
    }
    expect(getDeclaredReturns(Controller.prototype, 'show')).toEqual([
      { shape: UserView, description: 'The user' },
      { shape: Author, status: 404 },
    ]);
    expect(getDeclaredReturns(Controller.prototype, 'list')).toEqual([{ shape: [UserView] }]);
    expect(getDeclaredReturns(Controller.prototype, 'missing')).toEqual([]);
  });
});
