import { Module } from 'flagon';
import { AccountsService } from './accounts.service';

@Module({ providers: [AccountsService] })
export class AccountsModule {}
