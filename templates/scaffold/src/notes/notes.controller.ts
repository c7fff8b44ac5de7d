import { Body, Get, Post, Render, Route, Status } from 'flagon';
import { CreateNoteDto } from './create-note.dto';
import { NotesService, type Note } from './notes.service';

@Route('/')
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @Get('/')
  @Render('notes/index')
  index(): { notes: readonly Note[] } {
    return { notes: this.notes.all() };
  }

  @Get('/api/notes')
  list(): readonly Note[] {
    return this.notes.all();
  }

  @Post('/api/notes')
  @Status(201)
  create(@Body() body: CreateNoteDto): Note {
    return this.notes.add(body.text);
  }
}
