import { IsString } from 'class-validator';
import { validate, type Validated } from '../../src';

class NameDto {
  @IsString() name!: string;
}

describe('Validated<T>', () => {
  it('narrows to the value or the field errors', async () => {
    const result: Validated<NameDto> = await validate(NameDto, { name: 'Ann' });
    if (result.ok) {
      const name: string = result.value.name;
      expect(name).toBe('Ann');
      // @ts-expect-error errors only exist on a failed result
      expect(result.errors).toBeUndefined();
    } else {
      const messages: string[] | undefined = result.errors['name'];
      expect(messages).toBeUndefined();
    }
  });
});
