
from . import models
