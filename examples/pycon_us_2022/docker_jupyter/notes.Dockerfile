# Dockerfile
FROM jupyter/scipy-notebook:latest  # using a pre-built image

RUN git clone https//:www.my-repo.github \
    && cd project-dir \
    && pip install -r requirements \
    && ...

...

CMD jupyter lab
