# The web and worker image: Python 3.12, pinned dependencies, static files collected.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# Tesseract's English and orientation models, for scanned and faxed letters (ingest/ocr.py;
# the engine itself comes with the tesserocr wheel).
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.lock pyproject.toml ./
RUN pip install -r requirements.lock

COPY . .
RUN DJANGO_SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build \
       python manage.py collectstatic --no-input \
    && useradd --create-home --uid 1000 imr && mkdir -p /data && chown imr /data

USER imr
EXPOSE 8000
# Settings in gunicorn.conf.py; docker-compose runs migrations first.
CMD ["gunicorn", "imr_site.wsgi"]
