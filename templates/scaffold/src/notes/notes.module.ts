import { Module } from 'flagon';
import { NotesController } from './notes.controller';

@Module({ controllers: [NotesController] })
export class NotesModule {}
