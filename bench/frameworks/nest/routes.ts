import { Controller, Get, Module, Param } from '@nestjs/common';

const ROUTE_COUNT = 1000;

@Controller()
class RoutesController {}

// Handlers defined in a loop, decorated the way decorator syntax would (see flagon/routes.ts).
const proto = RoutesController.prototype as unknown as Record<string, unknown>;
for (let i = 0; i < ROUTE_COUNT; i++) {
  const staticName = `static${i}`;
  proto[staticName] = (): { route: string } => ({ route: `s${i}` });
  Get(`static/r${i}`)(
    proto,
    staticName,
    Object.getOwnPropertyDescriptor(proto, staticName) as PropertyDescriptor,
  );

  const paramName = `param${i}`;
  proto[paramName] = (id: string): { route: string; id: string } => ({ route: `p${i}`, id });
  Reflect.defineMetadata('design:paramtypes', [String], proto, paramName);
  Param('id')(proto, paramName, 0);
  Get(`r/p${i}/:id`)(
    proto,
    paramName,
    Object.getOwnPropertyDescriptor(proto, paramName) as PropertyDescriptor,
  );
}

@Module({ controllers: [RoutesController] })
export class ScenarioModule {}
