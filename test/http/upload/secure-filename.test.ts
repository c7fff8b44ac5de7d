import { secureFilename } from '../../../src/http/upload/secure-filename';

describe('secureFilename', () => {
  it.each([
    ['My cool movie.mov', 'My_cool_movie.mov'],
    ['../../../etc/passwd', 'etc_passwd'],
    ['..\\..\\windows\\system32.dll', 'windows_system32.dll'],
    ['i contain cool \xfcml\xe4uts.txt', 'i_contain_cool_umlauts.txt'],
    ['résumé.pdf', 'resume.pdf'],
    ['a\0b.txt', 'ab.txt'],
    ['..', 'file'],
    ['', 'file'],
    ['日本語', 'file'],
    ['   ', 'file'],
    ['.htaccess', 'htaccess'],
    ['CON.txt', '_CON.txt'],
    ['aux', '_aux'],
  ])('%p → %p', (input, expected) => {
    expect(secureFilename(input)).toBe(expected);
  });

  it('takes another fallback', () => {
    expect(secureFilename('..', 'upload')).toBe('upload');
  });
});
