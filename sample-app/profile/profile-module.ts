import { Module } from '../../src';
import { ProfileController } from './profile-controller';

/** Avatar upload. */
@Module({ controllers: [ProfileController] })
export class ProfileModule {}
