import { Get, Module, Param, Route } from 'flagon';

const ROUTE_COUNT = 1000;

@Route('/')
class RoutesController {}

// 2000 handlers written out would be unreadable: define them in a loop and apply the same
// decorators (and the design:paramtypes metadata tsc would emit) the way decorator syntax does.
const proto = RoutesController.prototype as unknown as Record<string, unknown>;
for (let i = 0; i < ROUTE_COUNT; i++) {
  const staticName = `static${i}`;
  proto[staticName] = (): { route: string } => ({ route: `s${i}` });
  Get(`/static/r${i}`)(
    proto,
    staticName,
    Object.getOwnPropertyDescriptor(proto, staticName) as PropertyDescriptor,
  );

  const paramName = `param${i}`;
  proto[paramName] = (id: string): { route: string; id: string } => ({ route: `p${i}`, id });
  Reflect.defineMetadata('design:paramtypes', [String], proto, paramName);
  Param('id')(proto, paramName, 0);
  Get(`/r/p${i}/<id>`)(
    proto,
    paramName,
    Object.getOwnPropertyDescriptor(proto, paramName) as PropertyDescriptor,
  );
}

@Module({ controllers: [RoutesController] })
export class ScenarioModule {}
