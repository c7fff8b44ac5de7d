import { IsEmail, IsInt, IsString, Length, Max, Min } from 'class-validator';
import { Body, CsrfExempt, Module, Post, Route, Status } from 'flagon';

export class CreateUserDto {
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

// A JSON API: no form posts from browsers, so no CSRF token (as in every other server here).
@CsrfExempt()
@Route('/')
class UserController {
  @Post('/users')
  @Status(201)
  create(@Body() user: CreateUserDto): CreateUserDto {
    return user;
  }
}

@Module({ controllers: [UserController] })
export class ScenarioModule {}
