import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BodyLimits,
  Config,
  currentUser,
  Get,
  LoginRequired,
  NotFound,
  Param,
  Post,
  Render,
  Route,
  sendFromDirectory,
  UploadedFile,
  type FileResponse,
} from 'flagon';
import type { UploadedFile as Upload } from 'flagon';
import { Users, type User } from '../auth/users';

const MAX_AVATAR_BYTES = 1024 * 1024;
const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/** The user's avatar: a page with the upload form, the upload itself, and the stored image. */
@Route('/profile')
export class ProfileController {
  constructor(
    private readonly users: Users,
    private readonly config: Config,
  ) {}

  private get folder(): string {
    return this.config.get<string>('AVATAR_FOLDER') ?? 'instance/avatars';
  }

  @LoginRequired()
  @Get('')
  @Render('profile/index')
  page(): object {
    const user = currentUser<User>() as User;
    return {
      avatarUrl:
        user.avatar === null
          ? undefined
          : `/profile/${user.id}/avatar?v=${encodeURIComponent(user.avatar)}`,
    };
  }

  // The whole body may be a little over 1 MiB (multipart headers), so a file of exactly 1 MiB fits.
  // maxFileSize is one byte more because busboy reports a file that reaches its limit exactly as
  // over it; the rule on @UploadedFile enforces the real 1 MiB.
  @LoginRequired()
  @Post('/avatar')
  @BodyLimits({
    maxContentLength: MAX_AVATAR_BYTES + 64 * 1024,
    maxFileSize: MAX_AVATAR_BYTES + 1,
    maxFileCount: 1,
  })
  async upload(
    @UploadedFile('avatar', { maxSize: MAX_AVATAR_BYTES, mimeTypes: Object.keys(EXTENSIONS) })
    avatar: Upload,
  ): Promise<{ avatar: string; size: number; type: string }> {
    const user = currentUser<User>() as User;
    // The name comes from the sniffed type, never from the client's filename.
    const filename = `${user.id}-${Date.now()}.${EXTENSIONS[avatar.mimeType] ?? 'img'}`;
    await avatar.saveTo(this.folder, filename);
    await this.users.setAvatar(user.id, filename);
    if (user.avatar !== null) await rm(join(this.folder, user.avatar), { force: true });
    return { avatar: `/profile/${user.id}/avatar`, size: avatar.size, type: avatar.mimeType };
  }

  @Get('/<int:id>/avatar')
  async avatar(@Param('id') id: number): Promise<FileResponse> {
    const filename = (await this.users.find(id))?.avatar;
    if (!filename) throw new NotFound('This user has no avatar.');
    return sendFromDirectory(this.folder, filename);
  }
}
