import { Body, Controller, Module, Post, ValidationPipe } from '@nestjs/common';
import { IsEmail, IsInt, IsString, Length, Max, Min } from 'class-validator';

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

@Controller('users')
class UserController {
  // NestJS's ValidationPipe: class-transformer + class-validator; POST answers 201 by default.
  @Post()
  create(@Body(new ValidationPipe({ whitelist: true })) user: CreateUserDto): CreateUserDto {
    return user;
  }
}

@Module({ controllers: [UserController] })
export class ScenarioModule {}
