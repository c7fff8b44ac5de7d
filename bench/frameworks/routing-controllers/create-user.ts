import { IsEmail, IsInt, IsString, Length, Max, Min } from 'class-validator';
import { Body, HttpCode, JsonController, Post } from 'routing-controllers';

class CreateUserDto {
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

@JsonController('/users')
class UserController {
  // routing-controllers' own class-transformer + class-validator step.
  @Post('/')
  @HttpCode(201)
  create(@Body({ validate: true, required: true }) user: CreateUserDto): CreateUserDto {
    return user;
  }
}

export const controllers = [UserController];
