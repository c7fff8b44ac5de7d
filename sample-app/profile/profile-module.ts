import { Module } from 'flagon';
import { ProfileController } from './profile-controller';

/** Avatar upload. */
@Module({ controllers: [ProfileController] })
export class ProfileModule {}
