// POST /users: express.json() and hand-written checks (Express has no validation of its own).
import express from 'express';
import { problems } from '../../lib/user-checks.mjs';

export function register(app) {
  app.post('/users', express.json(), (req, res) => {
    const fields = problems(req.body);
    if (fields) {
      res.status(400).json({ error: 'validation_failed', fields });
      return;
    }
    const { name, email, age } = req.body;
    res.status(201).json({ name, email, age });
  });
}
