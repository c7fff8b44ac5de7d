// Written by `flagon routes --types`: the endpoints `urlFor` accepts, with their URL
// variables. Run it again after changing routes; do not edit.
import 'flagon';

declare module 'flagon' {
  interface Endpoints {
    "api.PostApiController.create": object;
    "api.PostApiController.list": object;
    "api.PostApiController.show": { id: number };
    "auth.AuthController.login": object;
    "auth.AuthController.loginPage": object;
    "auth.AuthController.logout": object;
    "auth.AuthController.register": object;
    "auth.AuthController.registerPage": object;
    "blog.BlogController.create": object;
    "blog.BlogController.createPage": object;
    "blog.BlogController.delete": { id: number };
    "blog.BlogController.hello": object;
    "blog.BlogController.index": object;
    "blog.BlogController.update": { id: number };
    "blog.BlogController.updatePage": { id: number };
    "openapi.docs": object;
    "openapi.docsAsset": { name: string };
    "openapi.document": object;
    "profile.ProfileController.avatar": { id: number };
    "profile.ProfileController.page": object;
    "profile.ProfileController.upload": object;
    "static": { filename: string };
  }
}
