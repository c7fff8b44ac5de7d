// Hand-written checks of the POST /users body, for the frameworks without a validator of their own.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Messages per field, or undefined when `user` is valid. */
export function problems(user) {
  if (typeof user !== 'object' || user === null || Array.isArray(user))
    return { $: ['expected an object'] };
  const fields = {};
  const { name, email, age } = user;
  if (typeof name !== 'string' || name.length < 1 || name.length > 50)
    fields.name = ['name must be a string of 1 to 50 characters'];
  if (typeof email !== 'string' || !EMAIL.test(email)) fields.email = ['email must be an email'];
  if (typeof age !== 'number' || !Number.isInteger(age) || age < 0 || age > 150)
    fields.age = ['age must be an integer from 0 to 150'];
  return Object.keys(fields).length === 0 ? undefined : fields;
}
