from . import fields, models
