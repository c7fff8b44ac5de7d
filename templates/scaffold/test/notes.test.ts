import { buildApp } from '../src/app';
import { NotesService, type Note } from '../src/notes/notes.service';

class FakeNotes {
  readonly added: string[] = [];
  all(): readonly Note[] {
    return [{ id: 7, text: 'from the fake' }];
  }
  add(text: string): Note {
    this.added.push(text);
    return { id: 8, text };
  }
}

function testApp(fake: FakeNotes) {
  const app = buildApp({ TESTING: true });
  app.override(NotesService, { useValue: fake });
  return app;
}

describe('notes', () => {
  it('renders the notes the service gives', async () => {
    const client = testApp(new FakeNotes()).testClient();
    const response = await client.get('/');
    expect(response.status).toBe(200);
    expect(response.text).toContain('from the fake');
  });

  it('creates a note from valid JSON', async () => {
    const fake = new FakeNotes();
    const client = testApp(fake).testClient();
    await client.get('/'); // the page sets the CSRF token the API needs
    const response = await client.post('/api/notes', {
      json: { text: 'hello' },
      headers: { 'x-csrf-token': client.csrfToken ?? '' },
    });
    expect(response.status).toBe(201);
    expect(response.json()).toEqual({ id: 8, text: 'hello' });
    expect(fake.added).toEqual(['hello']);
  });

  it('answers 400 naming the field when the text is empty', async () => {
    const client = testApp(new FakeNotes()).testClient();
    await client.get('/');
    const response = await client.post('/api/notes', {
      json: { text: '' },
      headers: { 'x-csrf-token': client.csrfToken ?? '' },
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.json())).toContain('text');
  });
});
